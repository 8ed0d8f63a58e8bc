class VietnameseFirstMiddleware:
    """Vietnamese unless the user chose otherwise with the language switch.

    Officials' browsers are often set to English; the browser's Accept-Language must not override
    the product's default. The switch stores the choice in the language cookie, which Django's
    LocaleMiddleware (placed after this one) still honours.

    The REST API (under /api/) is the exception: another system says which language it wants
    its messages in with Accept-Language, request by request (Vietnamese when it says nothing).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)

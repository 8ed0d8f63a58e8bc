class VietnameseFirstMiddleware:
    """Vietnamese unless the user chose otherwise with the language switch.

    Officials' browsers are often set to English; the browser's Accept-Language must not override
    the product's default. The switch stores the choice in the language cookie, which Django's
    LocaleMiddleware (placed after this one) still honours.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)

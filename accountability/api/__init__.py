from .requests import ExplanationRequestViewSet

__all__ = ["ExplanationRequestViewSet"]

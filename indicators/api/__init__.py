from .indicators import IndicatorViewSet
from .values import IndicatorValueViewSet

__all__ = ["IndicatorValueViewSet", "IndicatorViewSet"]

from .listing import indicator_detail, indicator_list
from .manage import indicator_create_view, indicator_edit, target_add, target_remove
from .values import value_new, value_page

__all__ = ["indicator_create_view", "indicator_detail", "indicator_edit", "indicator_list",
           "target_add", "target_remove", "value_new", "value_page"]

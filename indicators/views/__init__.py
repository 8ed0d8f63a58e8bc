from .exchange import import_confirm_view, import_job, import_template_download, import_upload
from .listing import indicator_detail, indicator_list
from .manage import indicator_create_view, indicator_edit, target_add, target_remove
from .values import value_new, value_page

__all__ = ["import_confirm_view", "import_job", "import_template_download", "import_upload",
           "indicator_create_view", "indicator_detail", "indicator_edit", "indicator_list",
           "target_add", "target_remove", "value_new", "value_page"]

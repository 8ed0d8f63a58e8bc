"""An annex of indicator targets ("Phụ lục: Chỉ tiêu") in from Excel or CSV, through the same
preview and all-or-nothing write as the task import (tasks.exchange), whose file reading,
unit matching and formula-safe writing it reuses.

- columns.py    the annex's columns, Vietnamese and English, target years in headers
- reading.py    a file's rows, whatever the layout (title lines, two-line merged headers,
                percentages and decimals as written)
- cellvalues.py numbers ("75,5", "95%", "≥ 95%"), baselines with their year, direction, frequency
- checking.py   the preview: every change, every error by row (plans.py holds it)
- applying.py   the write, all or nothing, through the services
- template.py   the workbook to fill in
- runs.py       imports as FileJobs, within the request or by a background job
"""

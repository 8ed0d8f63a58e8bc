"""A programme's task list in and out of spreadsheets (Excel .xlsx and CSV).

- reading.py   a file's rows, whatever the appendix's layout (title lines, two-line headers,
               merged cells, blank lines, column numbering)
- matching.py  what a cell names: units, groups, competent authorities, kinds of output
- sections.py  which rows are group rows and sub-headings, in the forms appendices write them
- mappings.py  the file of names mapped to units that `import_tasks --map` reads
- importing.py the preview (every change, every error by row) and the all-or-nothing write:
               plans.py what an import would do, checking.py and cellchecks.py the rows and
               their cells, applying.py the write
- exporting.py the task list as a file, and the template to fill in
- writing.py   workbook and CSV writers that neutralise formula injection
- runs.py      imports and exports as FileJobs, within the request or as background jobs
"""

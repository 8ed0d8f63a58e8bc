"""The register of difficulties and proposals (khó khăn, vướng mắc; kiến nghị, đề xuất) raised in
approved progress reports: each becomes an item addressed to whoever must act (a unit of the
system, or an authority the secretariat answers for), tracked received → being handled →
answered → closed, with the answer and its document."""

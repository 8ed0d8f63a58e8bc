"""schemathesis hooks for the API run (loaded through SCHEMATHESIS_HOOKS): a stricter reading of
refused valid data, and PDF responses read for validation.

A schema can say what shape a request has, not which objects exist or what the programme's rules
are: a valid-looking body can name a task id that does not exist, or a deadline the programme's
grammar cannot read. The run's configuration (test_schemathesis.py) therefore lets
`positive_data_acceptance` take a 400, and the check below makes sure such a 400 is only ever
about those two things: every refused field carries the code of a missing reference or of a
programme rule, never that of a shape the schema allows (a blank, a type, a length...).
"""

import schemathesis

#: A NUL character is a valid JSON or query string that no PostgreSQL text can hold: refusing it
#: (with its own code and message) is a rule of the API the schema's strings cannot express.
REFUSALS_VALID_DATA_MAY_GET = {"does_not_exist", "rule", "unique", "unique_together",
                               "null_characters_not_allowed"}


@schemathesis.check
def valid_data_refused_only_by_references_or_rules(ctx, response, case):
    meta = case.meta
    if meta is None or response.status_code != 400 or not meta.generation.mode.is_positive:
        return None
    try:
        error = response.json()["error"]
    except (ValueError, KeyError, TypeError):
        raise AssertionError("A 400 without the API's error shape") from None
    codes = {item["code"] for items in error["fields"].values() for item in items}
    if not codes or not codes <= REFUSALS_VALID_DATA_MAY_GET:
        raise AssertionError(
            f"Schema-valid request refused for its shape ({sorted(codes) or error['code']}): "
            f"{error}")
    return None


@schemathesis.deserializer("application/pdf")
def issued_pdf(ctx, response):
    """The issued monthly report's file: a PDF, validated as the schema's binary string."""
    if not response.content.startswith(b"%PDF-"):
        raise ValueError("application/pdf that is not a PDF")
    return response.content.decode("latin-1")

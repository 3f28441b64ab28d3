"""A worker target whose rules raise on one marker word, for the quarantine tests."""

from strikewatch.document_rows import rows_of as real_rows_of


def rows_of(item):
    document, _entry = item
    if "BOOM" in document.text:
        raise ValueError("rule broke")
    return real_rows_of(item)

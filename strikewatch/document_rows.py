"""One decoded file in, rows of every loaded table out: the builder's single call into extraction.

`document_rows` parses the document layer (header, posts), settles the article's date and
publisher against the manifest entry, analyses the text once, runs the fact rules and ties every
fact to its article and post. It is what an extraction worker runs for each file (`rows_of`,
within the per-file time budget of strikewatch/budget.py), so it imports only the document
layer and the extraction rules, never pandas or Prefect.
"""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date

from strikewatch.documents import ParsedDocument, parse_document
from strikewatch.extract import EXTRACTOR_VERSION, Analysis, extract_facts
from strikewatch.extract.registry import FACT_TYPES
from strikewatch.ingest import DecodedDocument, ManifestEntry

Rows = dict[str, list[dict]]
DOCUMENT_TABLES = (
    "extracted.documents",
    "extracted.articles",
    "extracted.posts",
    *(f"extracted.{kind.table}" for kind in FACT_TYPES),
)


def stable_id(*parts: object) -> str:
    """A short, stable hex id from the given parts."""
    joined = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class ArticleDates:
    """The article's date after merging text and manifest, and how it was decided."""

    published_date: date | None
    published_at: object
    source: str | None
    note: str | None


def _merge_dates(parsed: ParsedDocument, manifest_date: date | None) -> ArticleDates:
    text_date, text_at = parsed.header.published_date, parsed.header.published_at
    if text_date and manifest_date and text_date != manifest_date:
        note = f"text says {text_date}, manifest says {manifest_date}: manifest used"
        return ArticleDates(manifest_date, None, "manifest", note)
    if text_date:
        return ArticleDates(text_date, text_at, "text", None)
    if manifest_date:
        return ArticleDates(manifest_date, None, "manifest", "no date in text: manifest used")
    return ArticleDates(None, None, None, "no date in text or manifest")


def _merge_publisher(
    text_value: str | None, manifest_value: str | None
) -> tuple[str | None, str | None]:
    if not manifest_value:
        return text_value, None
    if not text_value:
        return manifest_value, None
    text_words = set(text_value.casefold().replace("the ", "").split())
    manifest_words = set(manifest_value.casefold().replace("the ", "").split())
    if text_words <= manifest_words or manifest_words <= text_words:
        return manifest_value, None
    return manifest_value, f"text names publisher {text_value!r}, manifest {manifest_value!r}"


def document_rows(doc: DecodedDocument, entry: ManifestEntry | None) -> Rows:
    """Rows of every table for one decoded document (raises if a rule fails)."""
    manifest_date = entry.published_date if entry else None
    parsed = parse_document(doc.text, fallback_date=manifest_date)
    dates = _merge_dates(parsed, manifest_date)
    publisher, publisher_note = _merge_publisher(
        parsed.header.publisher, entry.publisher if entry else None
    )
    article_id = doc.document_id[:16]
    rows: Rows = {table: [] for table in DOCUMENT_TABLES}
    rows["extracted.documents"].append(
        {
            "document_id": doc.document_id,
            "source_file": doc.source_file,
            "bytes": doc.bytes,
            "encoding": doc.encoding,
            "text": doc.text,
        }
    )
    notes = [note for note in (dates.note, publisher_note) if note]
    rows["extracted.articles"].append(
        {
            "article_id": article_id,
            "document_id": doc.document_id,
            "source_file": doc.source_file,
            "publisher": publisher,
            "url": entry.url if entry else None,
            "headline": parsed.header.headline,
            "authors": list(parsed.header.authors),
            "published_date": dates.published_date,
            "published_at": dates.published_at,
            "published_date_source": dates.source,
            "date_note": "; ".join(notes) or None,
            "format": parsed.format,
        }
    )
    post_ids = []
    for post in parsed.posts:
        post_id = f"{article_id}-{post.seq:04d}"
        post_ids.append(post_id)
        rows["extracted.posts"].append(
            {
                "post_id": post_id,
                "article_id": article_id,
                "source_file": doc.source_file,
                "seq": post.seq,
                "posted_at": post.posted_at,
                "title": post.title,
                "body": post.body,
                "char_start": post.char_start,
                "char_end": post.char_end,
            }
        )
    post_starts = [post.char_start for post in parsed.posts]
    analysis = Analysis.of(
        doc.text,
        dates.published_date,
        parsed.skip_spans,
        dated_by_text=dates.source == "text" or parsed.format == "live_blog",
        normal=parsed.normal,
    )
    for fact_type, found in extract_facts(analysis).items():
        table = f"extracted.{fact_type}"
        for fact in found:
            rows[table].append(
                _fact_row(asdict(fact), fact_type, doc, article_id, parsed, post_starts, post_ids)
            )
    return rows


def rows_of(item: tuple[DecodedDocument, ManifestEntry | None]) -> Rows:
    """document_rows of a (document, manifest entry) pair: what an extraction worker runs."""
    return document_rows(*item)


def _fact_row(
    fact: dict,
    fact_type: str,
    doc: DecodedDocument,
    article_id: str,
    parsed: ParsedDocument,
    post_starts: Sequence[int],
    post_ids: Sequence[str],
) -> dict:
    start, end = fact["char_start"], fact["char_end"]
    index = bisect_right(post_starts, start) - 1
    inside_post = index >= 0 and start < parsed.posts[index].char_end
    row = {
        "fact_id": stable_id(article_id, fact_type, sorted(fact.items(), key=str)),
        "article_id": article_id,
        "source_file": doc.source_file,
        "post_id": post_ids[index] if inside_post else None,
        "evidence": doc.text[start:end],
        "extractor_version": EXTRACTOR_VERSION,
        **fact,
    }
    return row

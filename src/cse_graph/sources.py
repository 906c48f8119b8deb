"""Sources as a registry: every document a quote may come from.

A *source* has an id, an IRI (``report:ID``), a title, a date, a kind (txt, pdf, html), the
path of its original, the text extracted from it (with the headings, and for a PDF the
pages, that locators name) and the SHA-256 of the original's bytes.

The registry is a folder holding ``sources.json`` and ``texts/ID.json`` (the extracted
text of each added document).  The project's own folder (``sources/`` in the checkout,
``CSE_GRAPH_SOURCES`` or ``--sources DIR`` to use another) lists the two seeds *by
reference*: ``"original": "seeds:FILE"`` is FILE in the seeds folder, read in place and
never copied.  Any other folder adds its documents to those two.

When an original's bytes no longer hash to what was registered, the source is *changed*:
the quote check reports every quote that cites it (the text it was matched against may no
longer be what the file says).  Nothing here imports rdflib.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from . import paths
from .errors import UserError
from .fileio import atomic_write
from .seeds import Location, Seed, SeedsMissing, load_seeds

REGISTRY_FILE = "sources.json"
TEXTS_DIR = "texts"
ID_PREFIX = "https://w3id.org/cse-graph/id/report/"
KINDS = {".txt": "txt", ".text": "txt", ".md": "txt", ".pdf": "pdf", ".html": "html", ".htm": "html",
         ".xhtml": "html"}
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


class SourceError(UserError, ValueError):
    """A document that cannot be registered, or a registry that cannot be read (exit 2)."""


@dataclass
class Source:
    id: str
    iri: str
    title: str
    date: str | None
    kind: str
    original: str                 # absolute path, a path relative to the registry folder, or "seeds:FILE"
    sha256: str
    text: str | None = None       # texts/ID.json inside the registry folder (None for a seed)
    registry: str = ""            # the folder that lists it
    builtin: bool = False         # listed by the project's own registry

    @property
    def seed_file(self) -> str | None:
        return self.original[len("seeds:"):] if self.original.startswith("seeds:") else None

    def original_path(self, seeds_dir: str | None = None) -> Path | None:
        if self.seed_file:
            from .seeds import default_seeds_dir

            d = Path(seeds_dir) if seeds_dir else default_seeds_dir()
            return d / self.seed_file if d is not None else None
        p = Path(self.original)
        return p if p.is_absolute() else Path(self.registry) / p

    def record(self) -> dict:
        d = asdict(self)
        d.pop("registry")
        d.pop("builtin")
        return {k: v for k, v in d.items() if v is not None or k == "date"}


@dataclass
class Status:
    state: str                    # "ok" | "changed" | "missing"
    sha256: str | None            # what the original hashes to now

    def describe(self, src: Source, seeds_dir: str | None = None) -> str:
        where = src.original_path(seeds_dir)
        if self.state == "missing":
            return f"its original {where} is missing"
        return (f"its original {where} has changed since it was registered "
                f"(sha256 {self.sha256[:12]}…, registered {src.sha256[:12]}…)")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


def _read_registry(folder: Path, builtin: bool) -> list[Source]:
    f = folder / REGISTRY_FILE
    if not f.is_file():
        return []
    try:
        data = json.loads(f.read_text(encoding="utf-8"))
        return [Source(**{k: v for k, v in entry.items() if k in Source.__dataclass_fields__},
                       registry=str(folder), builtin=builtin) for entry in data.get("sources", [])]
    except (OSError, ValueError, TypeError, AttributeError) as e:
        raise SourceError(f"{f}: not a readable source registry ({e}); restore it from version control "
                          f"or remove it to start an empty registry") from None


class Registry:
    """The project's sources plus those of one more folder (``--sources DIR``)."""

    def __init__(self, folder: Path | str | None = None, seeds_dir: str | None = None):
        own = paths.project_sources_dir()
        self.folder = Path(folder) if folder else paths.default_sources_dir()
        self.seeds_dir = seeds_dir
        if self.folder.exists() and not self.folder.is_dir():
            raise SourceError(f"{self.folder}: the sources registry must be a folder")
        self.sources: dict[str, Source] = {}
        lists = [(own, True)] + ([] if self._same(self.folder, own) else [(self.folder, False)])
        for folder_, builtin in lists:
            for s in _read_registry(folder_, builtin):
                if s.id in self.sources:
                    raise SourceError(f"{folder_ / REGISTRY_FILE}: source id {s.id!r} is registered twice")
                self.sources[s.id] = s
        self._texts: dict[str, Seed] = {}
        self._status: dict[str, Status] = {}

    @staticmethod
    def _same(a: Path, b: Path) -> bool:
        try:
            return a.resolve() == b.resolve()
        except OSError:
            return False

    def by_iri(self, iri: str) -> Source | None:
        for s in self.sources.values():
            if s.iri == iri:
                return s
        return None

    def status(self, src: Source) -> Status:
        if src.id not in self._status:
            p = src.original_path(self.seeds_dir)
            if p is None or not p.is_file():
                st = Status("missing", None)
            else:
                now = sha256_file(p)
                st = Status("ok" if now == src.sha256 else "changed", now)
            self._status[src.id] = st
        return self._status[src.id]

    def text(self, src: Source) -> Seed:
        """The text quotes are matched against: a seed read in place, or the registered extraction."""
        if src.id not in self._texts:
            if src.seed_file:
                self._texts[src.id] = load_seeds(self.seeds_dir)[src.seed_file]
            else:
                f = Path(src.registry) / src.text
                try:
                    data = json.loads(f.read_text(encoding="utf-8"))
                except (OSError, ValueError) as e:
                    raise SourceError(f"{f}: the registered text of source {src.id!r} cannot be read ({e}); "
                                      f"register the document again with `cse-graph sources add FILE --id {src.id} --replace`") from None
                self._texts[src.id] = Seed(src.id, data["text"], headings=[tuple(h) for h in data["headings"]])
        return self._texts[src.id]

    def find(self, quote: str) -> tuple[list[tuple[Source, Location]], SeedsMissing | None]:
        """Every occurrence of ``quote`` in every registered source.  When the seeds cannot be
        found the other sources are still searched, and the reason is returned beside the hits."""
        hits, missing = [], None
        for src in self.sources.values():
            try:
                text = self.text(src)
            except SeedsMissing as e:
                missing = e
                continue
            hits += [(src, h) for h in text.find(quote)]
        return hits, missing

    # -- adding ---------------------------------------------------------------------------------

    def add(self, file: Path, id: str | None = None, title: str | None = None, date: str | None = None,
            replace: bool = False) -> tuple[Source, int]:
        """Register ``file``; returns the source and the number of characters of text extracted.
        Raises SourceError (nothing written) on any problem."""
        file = Path(file)
        if not file.is_file():
            raise SourceError(f"{file}: no such file")
        kind = KINDS.get(file.suffix.lower())
        if kind is None:
            raise SourceError(f"{file}: unsupported kind {file.suffix or '(no extension)'!r}; "
                              f"sources can be plain text (.txt, .md), PDF (.pdf) or HTML (.html, .htm)")
        raw = file.read_bytes()
        if not raw.strip():
            raise SourceError(f"{file}: the file is empty; there is nothing to cite")
        sid = id or _slug(file.stem)
        if not _ID.match(sid):
            raise SourceError(f"{file}: id {sid!r} is not valid: use lowercase letters, digits and hyphens "
                              f"(e.g. --id council-minutes-2015)")
        if date is not None and not _DATE.match(date):
            raise SourceError(f"{file}: date {date!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        old = self.sources.get(sid)
        if old is not None and (old.builtin or not replace):
            raise SourceError(
                f"{file}: a source with id {sid!r} is already registered ({old.title!r}, from {old.original}); "
                + ("it is one of the project's own sources: choose another --id" if old.builtin
                   else "choose another --id, or pass --replace to register this file in its place"))
        text, headings, found_title = EXTRACT[kind](file, raw)
        if not text.strip():
            raise SourceError(f"{file}: no text could be extracted"
                              + (" (a scanned PDF has no text layer: run OCR on it first, e.g. ocrmypdf, and add the result)"
                                 if kind == "pdf" else ""))
        src = Source(id=sid, iri=ID_PREFIX + sid, title=title or found_title or file.stem, date=date, kind=kind,
                     original=self._record_path(file), sha256=hashlib.sha256(raw).hexdigest(),
                     text=f"{TEXTS_DIR}/{sid}.json", registry=str(self.folder))
        self._write(src, {"text": text, "headings": headings}, old)
        return src, len(text)

    def _record_path(self, file: Path) -> str:
        f = file.resolve()
        try:
            return str(f.relative_to(self.folder.resolve()))
        except ValueError:
            return str(f)

    def _write(self, src: Source, text: dict, old: Source | None) -> None:
        """Text first, then the registry, each by rename; a failed registry write removes the text."""
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / TEXTS_DIR).mkdir(exist_ok=True)
        text_path = self.folder / src.text
        previous = text_path.read_bytes() if text_path.exists() else None
        _atomic_write(text_path, json.dumps(text, ensure_ascii=False))
        mine = [s for s in self.sources.values() if not s.builtin and s.id != src.id] + [src]
        reg = self.folder / REGISTRY_FILE
        doc = {"comment": "cse-graph source registry: `cse-graph sources list --sources THIS_FOLDER`.",
               "sources": [s.record() for s in sorted(mine, key=lambda s: s.id)]}
        try:
            _atomic_write(reg, json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        except BaseException:
            if previous is None:
                text_path.unlink(missing_ok=True)
            else:
                _atomic_write(text_path, previous.decode("utf-8"))
            raise
        self.sources[src.id] = src
        self._texts.pop(src.id, None)
        self._status.pop(src.id, None)


def _atomic_write(path: Path, content: str) -> None:
    with atomic_write(path) as fh:
        fh.write(content)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "source"


# -- extraction ------------------------------------------------------------------------------------

_END_PUNCT = tuple(".,;:!?\"'”’")


def text_headings(text: str, base: int = 0) -> list[tuple[int, str]]:
    """Headings of plain text: Markdown ``#`` lines, and short lines standing alone between
    blank lines that do not end like a sentence.  Returns (offset, heading)."""
    out = []
    lines = text.split("\n")
    pos = 0
    for i, line in enumerate(lines):
        s = line.strip()
        prev_blank = i == 0 or not lines[i - 1].strip()
        next_blank = i + 1 >= len(lines) or not lines[i + 1].strip()
        if s.startswith("#"):
            title = s.lstrip("#").strip()
            if title:
                out.append((base + pos, title))
        elif (prev_blank and next_blank and 2 <= len(s) <= 100 and not s.endswith(_END_PUNCT)
              and (s[0].isupper() or s[0].isdigit())):
            out.append((base + pos, s))
        pos += len(line) + 1
    return out


def _decode(file: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise SourceError(f"{file}: not UTF-8 text (byte {e.start}): convert it to UTF-8 first") from None


def extract_txt(file: Path, raw: bytes) -> tuple[str, list, str | None]:
    text = _decode(file, raw)
    first = next((ln.strip().lstrip("#").strip() for ln in text.splitlines() if ln.strip()), None)
    return text, [[o, h] for o, h in text_headings(text)], first[:200] if first else None


HEADING_TAGS = ["h1", "h2", "h3", "h4", "h5", "h6"]
_BLOCK_TAGS = {"p", "div", "li", "tr", "td", "th", "section", "article", "blockquote", "pre", "dd", "dt",
               "table", "ul", "ol", "header", "footer", "main", "nav", "aside", "figcaption", "caption",
               "body", "form", "fieldset", "address", *HEADING_TAGS}
_SKIP_TAGS = ["script", "style", "noscript", "template", "head", "title", "svg"]


def extract_html(file: Path, raw: bytes) -> tuple[str, list, str | None]:
    """Visible text of an HTML page (BeautifulSoup with Python's HTML parser), one line per
    block element; headings h1–h6 nest into locators ("Minutes › Item 4")."""
    from bs4 import BeautifulSoup
    from bs4.element import NavigableString, PreformattedString

    soup = BeautifulSoup(raw, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    parts: list[str] = []
    headings: list[list] = []
    pos = 0
    last_block = last_heading = None
    stack: dict[int, str] = {}
    for el in soup.find_all(string=True):
        if not isinstance(el, NavigableString) or isinstance(el, PreformattedString):
            continue  # comments, doctype, CDATA, processing instructions
        if el.find_parent(_SKIP_TAGS) is not None:
            continue
        s = str(el)
        block = el.find_parent(_BLOCK_TAGS)
        if block is not last_block:
            parts.append("\n")
            pos += 1
            last_block = block
        if not s.strip():
            continue
        h = el.find_parent(HEADING_TAGS)
        if h is not None and h is not last_heading:
            last_heading = h
            level = int(h.name[1])
            stack = {k: v for k, v in stack.items() if k < level}
            stack[level] = h.get_text(" ", strip=True)
            headings.append([pos, " › ".join(stack[k] for k in sorted(stack))])
        parts.append(s)
        pos += len(s)
    first_h = soup.find(HEADING_TAGS)
    return "".join(parts), headings, title or (first_h.get_text(" ", strip=True) if first_h else None)


def extract_pdf(file: Path, raw: bytes) -> tuple[str, list, str | None]:
    """Text of every page (pypdf), with "page N" locators, and "page N › Heading" from the
    PDF's outline (bookmarks) or, without one, from headings standing alone in the text."""
    import io
    import logging

    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PdfReadError, PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(raw), strict=False)
        encrypted = reader.is_encrypted
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as e:
        raise SourceError(f"{file}: not a readable PDF ({type(e).__name__}: {e})") from None
    if encrypted:
        try:
            ok = reader.decrypt("")
        except (DependencyError, PyPdfError, NotImplementedError) as e:
            raise SourceError(f"{file}: the PDF is encrypted and cannot be opened ({e}); "
                              f"save a decrypted copy (e.g. qpdf --decrypt) and add that") from None
        if not ok:
            raise SourceError(f"{file}: the PDF is encrypted with a password; save a decrypted copy "
                              f"(e.g. qpdf --password=… --decrypt in.pdf out.pdf) and add that")
    try:
        pages = [(page.extract_text() or "") for page in reader.pages]
        outline = _pdf_outline(reader)
        meta = reader.metadata
        title = str(meta.title).strip() if meta is not None and meta.title else None
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError,
            RecursionError) as e:
        raise SourceError(f"{file}: not a readable PDF ({type(e).__name__}: {e})") from None
    parts, headings, pos, current = [], [], 0, None
    for n, page_text in enumerate(pages, start=1):
        headings.append([pos, f"page {n}" + (f" › {current}" if current else "")])
        marks = []
        if outline is not None:
            for page_no, heading in outline:
                if page_no == n:
                    at = page_text.find(heading)
                    marks.append((at if at >= 0 else 0, heading))
        else:
            marks = text_headings(page_text)
        for off, heading in sorted(marks):
            headings.append([pos + off, f"page {n} › {heading}"])
            current = heading
        parts.append(page_text + "\n\n")
        pos += len(page_text) + 2
    headings.sort(key=lambda h: h[0])
    return "".join(parts), headings, title


def _pdf_outline(reader) -> list[tuple[int, str]] | None:
    """(1-based page, title) for every bookmark, or None when the PDF has no outline."""
    out: list[tuple[int, str]] = []

    def walk(items):
        for it in items:
            if isinstance(it, list):
                walk(it)
                continue
            page = reader.get_destination_page_number(it)
            if page is not None and page >= 0 and getattr(it, "title", None):
                out.append((page + 1, str(it.title).strip()))

    walk(reader.outline or [])
    return out or None


EXTRACT = {"txt": extract_txt, "html": extract_html, "pdf": extract_pdf}


@dataclass
class Listed:
    source: Source
    status: Status


def list_sources(reg: Registry) -> list[Listed]:
    return [Listed(s, reg.status(s)) for s in reg.sources.values()]

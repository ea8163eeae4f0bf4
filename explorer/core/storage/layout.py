"""How a collection is laid out on disk: file names, slugs, the order of entries.

```
my-api/
  collection.yaml          name, description, variables, headers, auth, order
  environments/local.yaml  one file per environment
  get-health.yaml          one file per request
  users/                   one directory per folder
    folder.yaml            name, description, headers, auth, order
    list-users.yaml
```

Paths inside a collection are "relative paths": POSIX strings relative to the collection
folder, "" being the collection itself.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from explorer.core.atomic import is_temp_file

COLLECTION_FILE = "collection.yaml"
FOLDER_FILE = "folder.yaml"
ENVIRONMENTS_DIR = "environments"
LOCK_FILE = ".explorer.lock"
REQUEST_SUFFIXES = (".yaml", ".yml")
# Names Windows refuses for a file, with any extension: kept portable everywhere.
_WINDOWS_DEVICES = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"{p}{n}" for p in ("com", "lpt") for n in range(10)),
}
_RESERVED = {
    COLLECTION_FILE,
    FOLDER_FILE,
    ENVIRONMENTS_DIR,
    "collection",
    "folder",
    *_WINDOWS_DEVICES,
    *(f"{device}{suffix}" for device in _WINDOWS_DEVICES for suffix in REQUEST_SUFFIXES),
}
_MAX_SLUG = 60  # characters
# Bytes of UTF-8, so that with a "-N" counter and ".yaml" a file name stays under 100
# bytes, far from the 255 bytes most file systems allow (the temp file of an atomic
# write adds about 25). The full name is kept inside the file.
_MAX_SLUG_BYTES = 80


def slugify(name: str, fallback: str) -> str:
    """A file-name friendly form of `name`: lower case letters (of any script), digits
    and dashes; at most 60 characters and 80 bytes of UTF-8, cut between characters."""
    text = unicodedata.normalize("NFC", name).lower()
    kept = "".join(
        c if c.isalnum() or unicodedata.category(c).startswith("M") else "-" for c in text
    )
    slug = re.sub(r"-+", "-", kept).strip("-")[:_MAX_SLUG]
    slug = slug.encode("utf-8")[:_MAX_SLUG_BYTES].decode("utf-8", "ignore")
    slug = slug.strip("-")
    while slug and unicodedata.category(slug[0]).startswith("M"):
        slug = slug[1:].lstrip("-")  # a combining mark with no letter before it
    return slug or fallback


def unique_folder(parent: Path, name: str, fallback: str = "Imported") -> Path:
    """A folder under `parent` named after `name` (spaces and letters kept, so it reads
    like the name) that does not exist yet. Cut to 80 bytes of UTF-8 between characters:
    an imported collection may be named by a sentence, and a file system refuses a name
    past 255 bytes."""
    stem = re.sub(r"[^\w .-]+", "-", unicodedata.normalize("NFC", name)).strip(" .-")
    stem = stem.encode("utf-8")[:_MAX_SLUG_BYTES].decode("utf-8", "ignore").strip(" .-")
    stem = stem or fallback
    candidate, number = parent / stem, 2
    while candidate.exists():
        candidate, number = parent / f"{stem} {number}", number + 1
    return candidate


def unique_entry(directory: Path, base: str, suffix: str, taken: set[str]) -> str:
    """An entry name `base[-N]suffix` that exists neither in `directory` nor in `taken`.

    Compared case-insensitively, so collections stay portable to macOS and Windows.
    """
    # NFC: macOS may list a name in decomposed form; it is still the same file.
    existing = {_fold(p.name) for p in directory.iterdir()} if directory.is_dir() else set()
    existing |= {_fold(name) for name in taken}
    candidate, counter = f"{base}{suffix}", 2
    while _fold(candidate) in existing or candidate.lower() in _RESERVED:
        candidate, counter = f"{base}-{counter}{suffix}", counter + 1
    return candidate


def _fold(name: str) -> str:
    return unicodedata.normalize("NFC", name).lower()


def join(parent: str, entry: str) -> str:
    """The relative path of `entry` inside the folder at relative path `parent`."""
    return f"{parent}/{entry}" if parent else entry


def split(rel: str) -> tuple[str, str]:
    """(parent relative path, entry name) of a relative path."""
    parent, _, entry = rel.rpartition("/")
    return parent, entry


def meta_file(folder_rel: str) -> str:
    """The relative path of the file holding a folder's (or the collection's) settings."""
    return join(folder_rel, FOLDER_FILE) if folder_rel else COLLECTION_FILE


def is_request_file(path: Path) -> bool:
    """Whether `path` is a request file (not a settings file, hidden file or temp file)."""
    return (
        path.is_file()
        and path.suffix in REQUEST_SUFFIXES
        and path.name not in (COLLECTION_FILE, FOLDER_FILE)
        and not path.name.startswith(".")
        and not is_temp_file(path)
    )


def is_folder_dir(path: Path, at_root: bool) -> bool:
    """Whether `path` is the directory of a folder of the collection.

    A directory that holds only other files (the files an imported Bruno or HAR
    collection's requests send, a user's own bodies) is data beside the requests, not
    a folder: it has no folder.yaml and no request file at any depth. An empty
    directory is a folder (one just made in the tree may have no file yet)."""
    if not path.is_dir() or path.name.startswith("."):
        return False
    if at_root and path.name == ENVIRONMENTS_DIR:
        return False
    try:
        return not _holds_only_data(path)
    except OSError:
        return True  # unreadable: a folder, reported (and left alone) as it was before


_DATA_SCAN_LIMIT = 2000  # directory entries looked at before calling it a folder anyway


def _holds_only_data(directory: Path) -> bool:
    """True when `directory` holds files but no folder.yaml and no request file, at any
    depth (bounded: a huge tree is taken for a folder, as before)."""
    pending, seen, files = [directory], 0, False
    while pending:
        for child in pending.pop().iterdir():
            seen += 1
            if seen > _DATA_SCAN_LIMIT or child.name == FOLDER_FILE or is_request_file(child):
                return False
            if child.is_symlink() or child.name.startswith("."):
                continue
            if child.is_dir():
                pending.append(child)
            else:
                files = True
    return files


def entries(directory: Path, at_root: bool) -> list[str]:
    """The request files and folder directories directly inside `directory`, sorted."""
    found = [p.name for p in directory.iterdir() if is_request_file(p) or is_folder_dir(p, at_root)]
    return sorted(found, key=str.lower)


def ordered(listed: list[str], present: list[str]) -> list[str]:
    """`present` entries in the order of `listed`; unlisted ones (added by hand or by a
    `git pull`) follow in name order, listed ones that are gone are dropped."""
    present_set = set(present)
    head = [name for name in dict.fromkeys(listed) if name in present_set]
    head_set = set(head)
    return head + [name for name in present if name not in head_set]


def digest(data: bytes) -> str:
    """The content hash used to notice that a file changed on disk."""
    return hashlib.sha256(data).hexdigest()

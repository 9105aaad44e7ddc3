"""pith: clean article text from scraped web pages (type stubs)."""

from typing import Any, Optional, Union

__version__: str

Html = Union[bytes, bytearray, str]

def extract(
    html: Html,
    url: Optional[str] = None,
    content_type: Optional[str] = None,
    *,
    id: Optional[str] = None,
    content_language: Optional[str] = None,
) -> dict[str, Any]:
    """One page with the built-in pipeline: the dict of its `pith extract --jsonl` line."""

class Pipeline:
    """A compiled pipeline: None (built in), a pipeline file's path (ends in .toml), or TOML text."""

    def __init__(self, path_or_toml: Optional[str] = None) -> None: ...
    def extract(
        self,
        html: Html,
        url: Optional[str] = None,
        content_type: Optional[str] = None,
        *,
        id: Optional[str] = None,
        content_language: Optional[str] = None,
    ) -> dict[str, Any]:
        """One page with this pipeline (GIL released): the dict of its JSONL line."""

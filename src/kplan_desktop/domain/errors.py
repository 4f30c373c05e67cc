"""The one error type the domain raises for bad input, with a Japanese and an English message."""

from __future__ import annotations


class DomainError(ValueError):
    """Input the domain refuses: a stable code, a Japanese message and an English one."""

    def __init__(self, code: str, message_ja: str, message_en: str) -> None:
        super().__init__(f"{message_ja} / {message_en}")
        self.code = code
        self.message_ja = message_ja
        self.message_en = message_en

    def message(self, lang: str = "ja") -> str:
        return self.message_en if lang == "en" else self.message_ja

    def both(self) -> str:
        """Japanese first, then English: one line, or a block when the message is a list."""
        if "\n" in self.message_ja:
            return f"{self.message_ja}\n{self.message_en}"
        return f"{self.message_ja} / {self.message_en}"


def no_catalog() -> DomainError:
    """E_NO_CATALOG: the database holds no catalog yet. One definition, one wording, for every
    command and use case that needs the catalog."""
    return DomainError(
        "E_NO_CATALOG",
        "カタログが読み込まれていません（kplan init を実行してください）",
        "No catalog is loaded (run kplan init)",
    )


CONFLICT = "E_CONFLICT"


class Conflict(DomainError):
    """The stored row is no longer the one the change was based on: someone else changed it."""

    def __init__(self, message_ja: str, message_en: str) -> None:
        super().__init__(CONFLICT, message_ja, message_en)

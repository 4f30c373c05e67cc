"""The user's settings (role, department, year, language, window state, folder) in QSettings."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from kplan_desktop.site_defaults import SiteDefaults
from kplan_desktop.store.paths import private_dir, private_file

# Tests and portable installs point this at an .ini file of their own.
ENV_SETTINGS_FILE = "KPLAN_SETTINGS_FILE"
ROLE_DEPARTMENT = "department"
ROLE_PLANNING = "planning"


class AppSettings:
    """Typed access to the few things the program remembers between runs."""

    def __init__(self, settings: QSettings | None = None) -> None:
        if settings is None:
            path = os.environ.get(ENV_SETTINGS_FILE)
            if path:
                settings = QSettings(path, QSettings.Format.IniFormat)
            else:
                settings = QSettings(
                    QSettings.Format.IniFormat,
                    QSettings.Scope.UserScope,
                    "kplan-desktop",
                    "kplan-desktop",
                )
                # The program's own settings folder and file: owner-only on POSIX.
                file = Path(settings.fileName())
                private_file(private_dir(file.parent, ours=True) / file.name)
        self.qsettings = settings

    def _text(self, key: str) -> str | None:
        value = self.qsettings.value(key)
        return value if isinstance(value, str) and value else None

    @property
    def configured(self) -> bool:
        return self.role is not None and self.fiscal_year is not None

    @property
    def role(self) -> str | None:
        role = self._text("role")
        return role if role in (ROLE_DEPARTMENT, ROLE_PLANNING) else None

    @property
    def department(self) -> str | None:
        return self._text("department")

    @property
    def fiscal_year(self) -> int | None:
        value = self.qsettings.value("fiscal_year")
        try:
            return int(str(value)) if value is not None else None
        except ValueError:
            return None

    @property
    def language(self) -> str | None:
        lang = self._text("language")
        return lang if lang in ("ja", "en") else None

    @property
    def database(self) -> str | None:
        """The database the user works in (from IT's defaults file); None: the local file."""
        return self._text("database")

    @property
    def catalog(self) -> Path | None:
        """The catalog file a new, empty database starts from (IT's defaults); None: the seed."""
        text = self._text("defaults/catalog")
        return Path(text) if text else None

    @property
    def defaults_applied(self) -> str | None:
        """The IT defaults file this user's settings were seeded from, once."""
        return self._text("defaults/source")

    def apply_defaults(self, defaults: SiteDefaults) -> list[str]:
        """Seed the user's settings from IT's file, once: what the user set stays; the keys set."""
        seeded = []
        for key, value in (
            ("database", defaults.database),
            ("defaults/catalog", None if defaults.catalog is None else str(defaults.catalog)),
            ("language", defaults.language),
        ):
            if value is not None and self._text(key) is None:
                self.qsettings.setValue(key, value)
                seeded.append(key)
        self.qsettings.setValue("defaults/source", str(defaults.source))
        self.qsettings.sync()
        return seeded

    def save_role(self, role: str, department: str | None, fiscal_year: int) -> None:
        self.qsettings.setValue("role", role)
        self.qsettings.setValue("department", department or "")
        self.qsettings.setValue("fiscal_year", fiscal_year)
        self.qsettings.sync()

    @property
    def generation(self) -> int | None:
        """The plan generation (計画期) the user last chose to see; None: the active one."""
        value = self.qsettings.value("generation")
        try:
            return int(str(value)) if value is not None else None
        except ValueError:
            return None

    def save_generation(self, number: int) -> None:
        self.qsettings.setValue("generation", number)
        self.qsettings.sync()

    def save_language(self, language: str) -> None:
        self.qsettings.setValue("language", language)
        self.qsettings.sync()

    @property
    def last_folder(self) -> Path | None:
        """Where the last workbook was saved or opened, if that folder still exists."""
        text = self._text("exchange/last_folder")
        return Path(text) if text and Path(text).is_dir() else None

    def save_last_folder(self, folder: Path) -> None:
        self.qsettings.setValue("exchange/last_folder", str(folder))
        self.qsettings.sync()

    def window_state(self, key: str) -> QByteArray | None:
        value = self.qsettings.value(f"window/{key}")
        return value if isinstance(value, QByteArray) else None

    def save_window_state(self, key: str, value: QByteArray) -> None:
        self.qsettings.setValue(f"window/{key}", value)

    def sync(self) -> None:
        self.qsettings.sync()

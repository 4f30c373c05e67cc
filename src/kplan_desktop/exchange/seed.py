"""Loading the shipped seed catalog into an empty database (first run, `kplan init`)."""

from __future__ import annotations

from kplan_desktop.exchange.catalog_json import catalog_hash, dumps, load
from kplan_desktop.store.catalog import indicator_count, replace_catalog
from kplan_desktop.store.engine import Store
from kplan_desktop.store.paths import seed_catalog_path


def ensure_seed(store: Store, *, who: str, source: str) -> bool:
    """Load the seed catalog if the database holds none; True if it did."""
    if indicator_count(store) > 0:
        return False
    seed = load(seed_catalog_path())
    replace_catalog(
        store,
        seed,
        catalog_hash(seed),
        who=who,
        source=source,
        detail="init: seed",
        content=dumps(seed),
        origin="seed",
    )
    return True

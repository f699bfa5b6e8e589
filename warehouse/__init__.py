"""The DuckDB warehouse: schema, the one way in, loading, deduplication, issues and drafts.

Other folders ask `warehouse` for what they need by name; SQL stays here.
"""

from warehouse.db import WarehouseBusy, connect, migrate, warehouse_path

__all__ = ["WarehouseBusy", "connect", "migrate", "warehouse_path"]

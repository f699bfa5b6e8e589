"""What every layer may import: the settings base (`core.settings`, `core.env`) and the domain terms
(`core.domain`). It imports no other package of the project."""

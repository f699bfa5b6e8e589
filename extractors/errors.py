"""Errors the extractors raise to the caller (the DAG's task fails with this message)."""


class ExtractorAuthError(RuntimeError):
    """The platform refused the credentials (expired or revoked token, missing permission for all)."""


class SourceStopped(Exception):
    """Internal: this query or page cannot go on in this run (rate limit past the budget, bad answers).

    The run keeps what it has, leaves this query's cursor where the stored data ends and reports
    `complete=False` with the reason in `notes`.
    """

    def __init__(self, reason: str, shared: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.shared = shared  # the limit applies to the whole source (rate limit, cap), not one query
        self.state: dict = {}  # the cursor to keep for what was stopped

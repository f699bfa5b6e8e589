"""Raw platform payloads to normalized posts: pure functions, no network, no client libraries.

Each module knows one platform's documented payload format. A normalizer returns a validated post
dict (see `extractors.post.validate_post`) or raises `MalformedPost` with the reason.
"""

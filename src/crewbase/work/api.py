"""The /api/v1 routes of this area."""

from ninja import Router

router = Router(tags=["work"])

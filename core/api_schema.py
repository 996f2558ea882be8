"""The OpenAPI schema documents every answer an operation can give, errors included.

drf-spectacular documents the success answers of each view; this AutoSchema adds the error
answers every API view shares (core/api_errors.py shapes them): 400 invalid input, 401 no or bad
API key, 403 not allowed (a member where the owner is needed, CSRF of a session), 404 no such object
in your account (or page of a list), 429 rate limited (with Retry-After). A view's own
`@extend_schema(responses={...})` for one of these codes wins.
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent

ERROR_SCHEMA = {
    "type": "object",
    "description": 'Either {"detail": "...", "code"?: "..."} or {"<field>": ["message", ...], "code"?: "..."}.',
    "additionalProperties": {},
}
ERRORS = {
    "400": "Invalid input: the body names each field that is wrong.",
    "401": "No API key, or an invalid or revoked one.",
    "403": "Not allowed for this member or session.",
    "404": "No such object in your account (or no such page of a list).",
    "429": "Too many requests: wait the number of seconds in Retry-After.",
}


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        component = ResolvedComponent(
            name="Error", type=ResolvedComponent.SCHEMA, object="Error", schema=ERROR_SCHEMA
        )
        self.registry.register_on_missing(component)
        for code, description in ERRORS.items():
            responses.setdefault(code, {
                "content": {"application/json": {"schema": component.ref}},
                "description": description,
                **({"headers": {"Retry-After": {"schema": {"type": "integer"},
                                                "description": "Seconds to wait."}}} if code == "429" else {}),
            })
        return responses

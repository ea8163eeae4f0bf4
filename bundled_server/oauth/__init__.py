"""``/oauth/*``: a small OAuth 2.0 authorization server and the resource it protects.

Built on Authlib's Flask authorization server. ``clients`` lists the two pre-registered
clients, ``store`` keeps codes, tokens and consent logins in the app's state (bounded,
with an injectable clock), ``server`` wires Authlib's grants to that store, and
``views`` is the blueprint: consent page, token, revocation, metadata, /oauth/me and
/oauth/items. Nothing is imported here, so ``bundled_server.state`` can import ``store``
without pulling the views (which import the state) into a cycle.
"""

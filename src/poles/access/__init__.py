"""The access layer: roles and scopes, field levels, the permission layer, guarded writes, accounts.

It sits above the register (it reads clusters, organisations, memberships and projects to decide)
and below the pages, the API and the imports, which all go through it.
"""

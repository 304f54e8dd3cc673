"""Writes to consultations, one module per concept:

- ``lifecycle``: create, edit, scope, schedule, document, publish, extend, archive
- ``comments``: post, edit, delete, support, report, official replies
- ``outcomes``: write and publish the outcome
- ``exports``: comment exports with progress
"""

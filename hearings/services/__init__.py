"""Writes to hearings, one module per concept:

- ``schedule``: create, edit and reschedule, agenda, state
- ``registrations``: register, cancel, waiting list, speakers
- ``questions``: live questions, upvotes, their moderation
- ``testimony``: written testimony and its moderation
- ``records``: the published record, notices and reminders
"""

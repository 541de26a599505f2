"""The relationship records: contacts, referrals, touches, their schema, the report and agenda.

relations imports core only: letters and digest read it, it reads neither.
"""

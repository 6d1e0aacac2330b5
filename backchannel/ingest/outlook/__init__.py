"""Outlook's files: .msg and .pst, the MAPI properties both hold, and Exchange's directory
names."""

"""The message inside a .pst attachment ("Attach Item", a forward as attachment).

libpff reads it (`libpff_attachment_get_item`), but pypff, its Python binding, does not wrap that
call: an attachment object only gives the embedded message's raw property block. The function
is exported by the same extension module, so it is called here through ctypes and its result
wrapped as a `pypff.message` by the binding's own constructor (`pypff_item_new`), which owns and
frees it like any other item. Everything is checked first against the pinned binding (the
symbols, the type object Python sees, the object layout); where a check fails, `embedded`
returns None and the reader says it could not open the message, as before.
"""

from __future__ import annotations

import ctypes
from functools import cache
from typing import Any

import pypff


class _Binding:
    def __init__(self, lib: ctypes.PyDLL):
        self.get_item = lib.libpff_attachment_get_item
        self.get_item.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
        self.get_item.restype = ctypes.c_int
        self.error_free = lib.libpff_error_free
        self.error_free.argtypes = [ctypes.c_void_p]
        self.error_free.restype = None
        self.item_new = lib.pypff_item_new
        self.item_new.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.py_object]
        self.item_new.restype = ctypes.c_void_p


@cache
def _binding() -> _Binding | None:
    """The binding's C functions, or None when this pypff is not the one they were checked
    against."""
    try:
        lib = ctypes.PyDLL(pypff.__file__)
        message_type = ctypes.c_void_p.in_dll(lib, "pypff_message_type_object")
        binding = _Binding(lib)
    except (OSError, AttributeError, ValueError):
        return None
    # The type object the C side would give its items is the one Python sees, and an item is
    # PyObject_HEAD then the libpff item, its record set and its parent (pypff_item.h).
    pointer = ctypes.sizeof(ctypes.c_void_p)
    if ctypes.addressof(message_type) != id(pypff.message):
        return None
    if pypff.attachment.__basicsize__ != object.__basicsize__ + 3 * pointer:
        return None
    return binding


def embedded(attachment: Any) -> Any | None:
    """The message an attachment holds (attach method 5), as a `pypff.message`; None when this
    pypff cannot be reached safely. Raises OSError when libpff cannot read it."""
    if not isinstance(attachment, pypff.attachment):
        return None
    binding = _binding()
    if binding is None:
        return None
    # The libpff item sits right after the object's header.
    item = ctypes.c_void_p.from_address(id(attachment) + object.__basicsize__).value
    if not item:
        return None
    inner, error = ctypes.c_void_p(), ctypes.c_void_p()
    if binding.get_item(item, ctypes.byref(inner), ctypes.byref(error)) != 1 or not inner:
        if error:
            binding.error_free(ctypes.byref(error))
        raise OSError("libpff could not open the embedded message")
    # A new reference, whose parent (kept alive by it) is the attachment.
    address = binding.item_new(id(pypff.message), inner, attachment)
    if not address:
        raise OSError("pypff could not wrap the embedded message")
    message = ctypes.cast(address, ctypes.py_object).value
    ctypes.pythonapi.Py_DecRef(ctypes.c_void_p(address))  # `message` holds the one reference
    return message

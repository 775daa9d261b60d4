"""Xieshang (协商): the duty-performance platform of a CPPCC committee."""

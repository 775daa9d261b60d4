"""Chinese text intelligence without Django: segmentation, routing, similarity, hot topics.

Everything here runs on the CPU with models trained from the committee's own data; nothing is
downloaded at run time.
"""

"""Postcode → district → children's services authority and health body; distance; ONSPD import.

postcode.py and distance.py are pure; store.py and reference.py read and write the
reference tables through a SQLAlchemy session.
"""

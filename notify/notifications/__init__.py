"""Notifications: who must be told, the outbox, delivery, acknowledgement and chasing."""

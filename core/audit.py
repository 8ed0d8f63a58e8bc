def audited(instance, actor, reason: str = ""):
    """Mark a model instance so that its next save or delete records, in its audit history, who
    made the change and why (django-simple-history reads these attributes)."""
    instance._history_user = actor
    instance._change_reason = reason
    return instance

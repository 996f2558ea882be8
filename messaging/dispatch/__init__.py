"""From a status change to a delivered message: planning, composing, sending, receipts, replies."""

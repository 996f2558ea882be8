"""Conversations: every shopper's replies and the messages sent to them, one thread per (brand,
shopper); keyword replies in the shopper's language; STOP meaning what the shopper meant.

- `models.py`: `Conversation`, the thread's own row (activity, the reply window, read marker);
- `keywords.py`: what a shopper's text asks for (pure);
- `attribution.py`: which brand(s) an inbound text is about;
- `replies.py`: the answers, whole sentences from messaging/default_copy/<lang>.py;
- `handling.py`: one inbound text from attribution to the bot's answer;
- `exchanges.py`: the guided exchange after a failed delivery (new day, pickup point, new address);
- `services.py` / `selectors.py`: the merchant's writes (read, reply) and reads (threads).
"""

"""The GLOBAL model catalog the emulator starts with: a handful of real models and list prices.

Prices are USD per token, as published by the providers (per-million prices / 1e6).
"""

GLOBAL_MODELS = [
    ("gpt-4o", "OPENAI", "chat", 2.5e-06, 1e-05, 1.25e-06),
    ("gpt-4o-mini", "OPENAI", "chat", 1.5e-07, 6e-07, 7.5e-08),
    ("o3-mini", "OPENAI", "chat", 1.1e-06, 4.4e-06, 5.5e-07),
    ("text-embedding-3-small", "OPENAI", "embedding", 2e-08, 0.0, None),
    ("claude-sonnet-4-20250514", "ANTHROPIC", "chat", 3e-06, 1.5e-05, 3e-07),
    ("claude-3-5-haiku-20241022", "ANTHROPIC", "chat", 8e-07, 4e-06, 8e-08),
    ("gemini-1.5-pro", "GOOGLE", "chat", 1.25e-06, 5e-06, None),
    ("deepseek-chat", "DEEPSEEK", "chat", 2.7e-07, 1.1e-06, 7e-08),
]

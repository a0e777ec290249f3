"""Well-known models' published shapes (their config.json files), built without weights: for the architecture
table and the KV-cache calculator, which read them as they read the loaded model."""

from transformers import Gemma2Config, LlamaConfig, MistralConfig, Qwen2Config

LLAMA3_8B = LlamaConfig(vocab_size=128256, hidden_size=4096, intermediate_size=14336, num_hidden_layers=32,
                        num_attention_heads=32, num_key_value_heads=8, max_position_embeddings=8192,
                        rope_theta=500000.0, tie_word_embeddings=False)
QWEN25_7B = Qwen2Config(vocab_size=152064, hidden_size=3584, intermediate_size=18944, num_hidden_layers=28,
                        num_attention_heads=28, num_key_value_heads=4, max_position_embeddings=32768,
                        tie_word_embeddings=False)
# Every layer attends to the last 4,096 tokens only.
MISTRAL_7B_V01 = MistralConfig(vocab_size=32000, hidden_size=4096, intermediate_size=14336, num_hidden_layers=32,
                               num_attention_heads=32, num_key_value_heads=8, sliding_window=4096,
                               max_position_embeddings=32768)
# Sliding-window (4,096) and full layers alternate.
GEMMA2_9B = Gemma2Config(vocab_size=256000, hidden_size=3584, intermediate_size=14336, num_hidden_layers=42,
                         num_attention_heads=16, num_key_value_heads=8, head_dim=256, sliding_window=4096)

KV_REFERENCES = {"Llama-3-8B": LLAMA3_8B, "Qwen2.5-7B": QWEN25_7B, "Mistral-7B-v0.1": MISTRAL_7B_V01,
                 "Gemma-2-9B": GEMMA2_9B}

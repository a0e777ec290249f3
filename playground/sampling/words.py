"""The sampling stages' words: what each value must be, and a hint for a person who set it wrong."""

from playground.core.language import Words

WORDS = Words("sampling", {
    "invalid": ("{name} must be {rule} (got {value}).{hint}", "{name} 必须{rule}（收到的是 {value}）。{hint}"),
    "rule.repetition_penalty": ("> 0", "大于 0"),
    "hint.repetition_penalty": (" 1 means none.", "1 表示不惩罚。"),
    "rule.temperature": ("at least {minimum}", "至少为 {minimum}"),
    "hint.temperature": (
        " As temperature → 0 all probability goes to the top token: that is greedy decoding. Choose the 'greedy' "
        "strategy, or top_k = 1, to see it (or try temperature 0.05).",
        "温度 → 0 时，全部概率都落到最可能的 token 上：那就是贪心解码。要看它，请选 'greedy' 策略，或设 top_k = 1"
        "（或试试温度 0.05）。"),
    "rule.top_k": ("a whole number ≥ 0", "是 ≥ 0 的整数"),
    "hint.top_k": (" 0 keeps all.", "0 保留全部。"),
    "rule.top_p": ("in (0, 1]", "在 (0, 1] 之内"),
    "hint.top_p": (" 1 keeps every token.", "1 保留每个 token。"),
    "rule.min_p": ("in [0, 1]", "在 [0, 1] 之内"),
    "hint.min_p": (" 0 keeps every token.", "0 保留每个 token。"),
    "rule.typical_p": ("in (0, 1]", "在 (0, 1] 之内"),
    "hint.typical_p": (" 1 is off.", "1 表示关闭。"),
    "rule.epsilon": ("in (0, 1)", "在 (0, 1) 之内"),
    "hint.epsilon": (" Typical values are 1e-4 to 1e-3.", "常用值为 1e-4 到 1e-3。"),
    "rule.eta": ("in (0, 1)", "在 (0, 1) 之内"),
    "hint.eta": (" Typical values are 1e-4 to 2e-3.", "常用值为 1e-4 到 2e-3。"),
})

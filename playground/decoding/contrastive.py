"""Contrastive search (Su et al., 2022, https://arxiv.org/abs/2202.06417), run here rather than from the Hub.

Written by hand because transformers 5 moved contrastive search into the Hub repo
transformers-community/contrastive-search, which `generate` would download and execute (trust_remote_code);
this app never runs downloaded code. The algorithm is short. At each step, among the model's top-k next tokens,
choose

    x_t = argmax over v in top-k of  (1 - α) · p(v | x<t)  -  α · max_j cos(h_v, h_j)

where h_v is the last layer's hidden state after appending v, and h_j those of every earlier token (prompt
included). The penalty term pushes away from tokens that would make the text resemble what came before: the
"degeneration" that makes greedy loop. α = 0 is greedy decoding.
"""

import torch
import torch.nn.functional as F
from transformers import LogitsProcessorList, PreTrainedModel


def degeneration_scores(
    probs: torch.Tensor, candidate_hidden: torch.Tensor, context_hidden: torch.Tensor, alpha: float
) -> torch.Tensor:
    """(1 - α)·p(v) − α·max_j cos(h_v, h_j) for each candidate v.

    probs: (k,) model probabilities of the candidates; candidate_hidden: (k, d); context_hidden: (t, d).
    """
    candidates = F.normalize(candidate_hidden.float(), dim=-1)
    context = F.normalize(context_hidden.float(), dim=-1)
    max_similarity = (candidates @ context.T).max(dim=-1).values
    return (1 - alpha) * probs - alpha * max_similarity


@torch.inference_mode()
def contrastive_search(
    model: PreTrainedModel,
    prompt_ids: list[int],
    top_k: int,
    alpha: float,
    max_new_tokens: int,
    eos_ids: set[int],
    processors: LogitsProcessorList | None = None,
) -> tuple[list[int], list[torch.Tensor], list[torch.Tensor]]:
    """Returns the chosen tokens, the raw logits at each step, and the processed scores the candidates came from.

    One forward pass per step scores all k candidates at once: the KV cache is repeated k times, and the winner's
    row is kept.
    """
    processors = processors or LogitsProcessorList()
    ids = torch.tensor([prompt_ids], device=model.device)
    out = model(ids, use_cache=True, output_hidden_states=True)
    cache, context_hidden, logits = out.cache, out.hidden_states[-1][0], out.logits[0, -1]
    chosen, raw_logits, used_scores = [], [], []
    for _ in range(max_new_tokens):
        scores = processors(ids, logits[None, :].float())[0]
        raw_logits.append(logits)
        used_scores.append(scores)
        top = torch.topk(torch.softmax(scores, dim=-1), top_k)
        cache.batch_repeat_interleave(top_k)
        step = model(top.indices[:, None], cache=cache, use_cache=True, output_hidden_states=True)
        candidate_hidden = step.hidden_states[-1][:, -1]
        best = int(degeneration_scores(top.values, candidate_hidden, context_hidden, alpha).argmax())
        cache = step.cache
        cache.batch_select_indices(torch.tensor([best], device=ids.device))
        token = int(top.indices[best])
        chosen.append(token)
        ids = torch.cat([ids, torch.tensor([[token]], device=ids.device)], dim=1)
        context_hidden = torch.cat([context_hidden, candidate_hidden[best : best + 1]])
        logits = step.logits[best, -1]
        if token in eos_ids:
            break
    return chosen, raw_logits, used_scores

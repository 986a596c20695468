"""Small pyarrow helpers shared by the column readers."""

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def arrow_strings(values: pd.Series) -> pa.Array:
    """The values as one Arrow string array (pandas may hand over several chunks)."""
    array = pa.array(values, type=pa.large_string())
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def arrow_filled(array: pa.Array, value) -> pa.Array:
    return pc.fill_null(array, value) if array.null_count else array


def arrow_matches(array: pa.Array, pattern: str) -> np.ndarray:
    found = arrow_filled(pc.match_substring_regex(array, pattern), False)
    return found.to_numpy(zero_copy_only=False)

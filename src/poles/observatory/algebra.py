"""Matrix algebra on region × sector matrices: RCA, M, diversity, ubiquity, co-occurrence,
proximity, relatedness (EconGeo), densities, ECI/PCI, complexity outlook index and gain.

Conventions follow py-ecomplexity (Growth Lab) for RCA … COG and EconGeo (Balland) for
relatedness and relatedness density; docs/observatory.md lists where they differ and why.
All functions take dense float arrays (regions in rows, sectors in columns) and never loop
over rows; the co-occurrence product switches to sparse algebra when M is large and sparse.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits

from poles.observatory.errors import ObservatoryError
from poles.observatory.i18n import _

if TYPE_CHECKING:
    import pandas as pd

Matrix = NDArray[np.float64]
Vector = NDArray[np.float64]

#: Above this many cells and below this density of ones, M'M is computed on a sparse M.
SPARSE_MIN_CELLS = 1_000_000
SPARSE_MAX_DENSITY = 0.10
#: Below this many cells, BLAS runs on one thread: threading small products costs more than it saves.
SINGLE_THREAD_MAX_CELLS = 2_000_000


@contextmanager
def blas_threads_for(cells: int) -> Iterator[None]:
    """One BLAS thread for small matrices, the library's default for large ones."""
    if cells < SINGLE_THREAD_MAX_CELLS:
        with threadpool_limits(limits=1, user_api="blas"):
            yield
    else:
        yield


@contextmanager
def blas_threads_beside(writer_busy: bool) -> Iterator[None]:
    """BLAS leaves a core to a writer that encodes the previous year on another thread.

    On a machine with few cores the writer is the slower stage: a BLAS thread on its core
    (spinning between products) would slow it down more than it speeds up the algebra.
    """
    if writer_busy:
        with threadpool_limits(limits=max(1, (os.cpu_count() or 1) - 1), user_api="blas"):
            yield
    else:
        yield


def rca(values: Matrix) -> Matrix:
    """Balassa's RCA (the LQ against the matrix's own totals); missing cells stay missing (NaN).

    rca[r, s] = (x[r, s] / Σ_s x[r, ·]) / (Σ_r x[·, s] / Σ x), sums leaving NaN out.
    """
    x = np.asarray(values, dtype=np.float64)
    row, col = present_sums(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        out: Matrix = x / row[:, np.newaxis]
        out /= (col / col.sum())[np.newaxis, :]  # in place: large matrices are costly to allocate
    return out


def present_sums(x: Matrix) -> tuple[Vector, Vector]:
    """Row and column sums of a matrix leaving NaN out (one boolean mask, where `np.nansum`
    would copy the whole matrix once per axis)."""
    present = ~np.isnan(x)
    rows: Vector = np.sum(x, axis=1, where=present)
    cols: Vector = np.sum(x, axis=0, where=present)
    return rows, cols


def presence(rca_values: Matrix, *, threshold: float = 1.0) -> Matrix:
    """The binary specialisation matrix M: 1 where RCA ≥ threshold, else 0 (missing → 0)."""
    r = np.asarray(rca_values, dtype=np.float64)
    return (r >= threshold).astype(np.float64)  # NaN compares false


def diversity(m: Matrix) -> Vector:
    """Number of sectors each region is specialised in (row sums of M)."""
    out: Vector = np.asarray(m, dtype=np.float64).sum(axis=1)
    return out


def ubiquity(m: Matrix) -> Vector:
    """Number of regions specialised in each sector (column sums of M)."""
    out: Vector = np.asarray(m, dtype=np.float64).sum(axis=0)
    return out


def gram(a: NDArray[Any]) -> NDArray[Any]:
    """a'a (NumPy hands a product of a matrix with its own transpose to BLAS's symmetric
    rank-k update: half the work of a general product, and the result exactly symmetric)."""
    a = np.ascontiguousarray(a)
    out: NDArray[Any] = a.T @ a
    return out


def co_occurrence(m: Matrix, *, diagonal: bool = True) -> Matrix:
    """Sector × sector counts of regions specialised in both: M'M.

    With `diagonal=False` the diagonal is set to 0, as EconGeo's `co_occurrence` does by default.
    """
    m = np.asarray(m, dtype=np.float64)
    if m.size >= SPARSE_MIN_CELLS and np.count_nonzero(m) <= SPARSE_MAX_DENSITY * m.size:
        import scipy.sparse as sp

        s = sp.csr_matrix(m)
        out: Matrix = np.asarray((s.T @ s).toarray(), dtype=np.float64)
    elif m.shape[0] < 2**24:
        # counts of 0/1 products stay below 2**24: single precision is exact and twice as fast
        out = gram(m.astype(np.float32)).astype(np.float64)
    else:  # pragma: no cover - more than 16 million regions
        out = gram(m)
    if not diagonal:
        np.fill_diagonal(out, 0.0)
    return out


def proximity(m: Matrix) -> Matrix:
    """Hidalgo et al.'s proximity: φ[p, q] = min(P(p | q), P(q | p)) = C[p, q] / max(u_p, u_q).

    The diagonal is 1 for every sector present somewhere (py-ecomplexity's convention).
    """
    c = co_occurrence(m)
    u = np.diag(c).copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        phi = c / u[np.newaxis, :]
    phi = np.nan_to_num(phi, nan=0.0, posinf=0.0)
    out: Matrix = np.minimum(phi, phi.T)
    return out


def relatedness(cooc: Matrix, *, method: str = "prob") -> Matrix:
    """EconGeo's `relatedness(mat, method)`: co-occurrences normalised by their expected value.

    The diagonal is ignored and set to 0. `prob` (the default) compares c_ij with the number
    expected when pairs are drawn without repetition; `association`, `cosine` and `jaccard`
    follow van Eck and Waltman (2009). Undefined ratios (0/0) are 0.
    """
    c = np.array(cooc, dtype=np.float64)
    np.fill_diagonal(c, 0.0)
    s = c.sum(axis=0)
    si = np.broadcast_to(s[np.newaxis, :], c.shape)
    sj = np.broadcast_to(s[:, np.newaxis], c.shape)
    t = c.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "prob":
            out = c / (((si / t) * (sj / (t - si)) + (sj / t) * (si / (t - sj))) * (t / 2))
        elif method == "association":
            out = (c / t) / ((si / t) * (sj / t))
        elif method == "cosine":
            out = c / np.sqrt(si * sj)
        elif method == "jaccard":
            out = c / (si + sj - c)
        else:
            raise ObservatoryError(
                _("method must be prob, association, cosine or jaccard; found {value!r}").format(
                    value=method
                )
            )
    out = np.where(np.isfinite(out), out, 0.0)
    np.fill_diagonal(out, 0.0)
    result: Matrix = out
    return result


def relatedness_density(m: Matrix, related: Matrix) -> Matrix:
    """EconGeo's `relatedness_density`: 100 × Σ_j M[r, j] R[j, i] / Σ_j R[j, i] (not rounded)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out: Matrix = (
            100.0 * (np.asarray(m, dtype=np.float64) @ related) / related.sum(axis=0)[np.newaxis, :]
        )
    return out


def density(m: Matrix, prox: Matrix) -> Matrix:
    """py-ecomplexity's density: ω[r, p] = Σ_q M[r, q] φ[p, q] / Σ_q φ[p, q] (diagonal included)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out: Matrix = np.asarray(m, dtype=np.float64) @ (
            prox.T / np.nansum(prox, axis=1)[np.newaxis, :]
        )
    return out


def _second_eigenvector(m: Matrix, d: Vector, u: Vector) -> Vector:
    """The eigenvector of M̃ = D_u⁻¹ M' D_d⁻¹ M for its second largest eigenvalue.

    M̃ is similar to the symmetric S = D_u^-½ M' D_d⁻¹ M D_u^-½, so a symmetric solver is used
    and the eigenvector mapped back with D_u^-½ (faster and steadier than a general solver).
    """
    root = np.sqrt(u)
    a = m * (1.0 / np.sqrt(d))[:, np.newaxis]
    a *= (1.0 / root)[np.newaxis, :]
    s = gram(a)
    del a
    n = s.shape[0]
    if n < 2:
        raise ObservatoryError(_("complexity needs at least two sectors with a specialisation"))
    with threadpool_limits(limits=1, user_api="blas"):  # a sectors × sectors problem: small
        vector = second_eigenvector(s)
    out: Vector = vector / root
    return out


def second_eigenvector(s: Matrix) -> Vector:
    """The unit eigenvector of a symmetric matrix for its second largest eigenvalue.

    The eigenvalues alone (a tridiagonal reduction, no vectors), then inverse iteration at
    that eigenvalue (two steps, a third if the residual is not yet at round-off): half the time
    of NumPy's full `eigh`, without loading SciPy (whose import costs more than the solve on a
    few hundred sectors). Shifted by the computed eigenvalue itself, each step divides the
    other eigenvectors' share by gap / round-off. Falls back to `eigh` when the eigenvalue is
    not apart from its neighbours or three steps leave the residual above round-off.
    """
    n = s.shape[0]
    values = np.linalg.eigvalsh(s)
    target = values[n - 2]
    scale = max(float(np.abs(values).max()), np.finfo(np.float64).tiny)
    tolerance = 64 * n * np.finfo(np.float64).eps * scale
    gap = min(values[n - 1] - target, target - values[n - 3] if n > 2 else np.inf)
    if gap > 1e3 * tolerance:
        shifted = s - target * np.eye(n)
        x = np.sin(np.arange(1, n + 1) * 0.6180339887)  # any start not orthogonal to it
        for step in range(3):
            try:
                x = np.linalg.solve(shifted, x)
            except np.linalg.LinAlgError:  # pragma: no cover - an exactly zero pivot
                break
            x /= np.linalg.norm(x)
            if not np.all(np.isfinite(x)):  # pragma: no cover - overflow in the solve
                break
            # the second step clears what the first left of neighbours a small gap away
            if step and np.linalg.norm(s @ x - target * x) <= tolerance:
                return x
    full: Vector = np.linalg.eigh(s)[1][:, n - 2]
    return full


@dataclass(frozen=True)
class Complexity:
    """Every indicator for one year's matrix (regions × sectors)."""

    regions: NDArray[np.str_]
    sectors: NDArray[np.str_]
    values: Matrix
    rca: Matrix
    m: Matrix
    diversity: Vector
    ubiquity: Vector
    proximity: Matrix
    density: Matrix
    eci: Vector
    pci: Vector
    coi: Vector
    cog: Matrix


def complexity(
    values: Matrix,
    *,
    regions: NDArray[np.str_] | None = None,
    sectors: NDArray[np.str_] | None = None,
    threshold: float = 1.0,
) -> Complexity:
    """RCA, M, diversity, ubiquity, proximity, density, ECI, PCI, COI and COG for one matrix.

    Regions and sectors whose values sum to zero (or are all missing) must have been dropped
    (see `to_matrices`). ECI and PCI use the eigenvector method and are normalised as
    py-ecomplexity does: ECI to mean 0 and standard deviation 1 (ddof 0), PCI with ECI's mean
    and deviation, COG divided by ECI's deviation, COI standardised.
    """
    x = np.asarray(values, dtype=np.float64)
    # degenerate matrices (one sector everywhere) give undefined ECI; NaN, not a warning
    with blas_threads_for(x.size), np.errstate(divide="ignore", invalid="ignore"):
        return _complexity(x, regions=regions, sectors=sectors, threshold=threshold)


def _complexity(
    x: Matrix,
    *,
    regions: NDArray[np.str_] | None,
    sectors: NDArray[np.str_] | None,
    threshold: float,
) -> Complexity:
    n_r, n_s = x.shape
    regions = regions if regions is not None else np.arange(n_r).astype(str)
    sectors = sectors if sectors is not None else np.arange(n_s).astype(str)
    r = rca(x)
    m = presence(r, threshold=threshold)
    d = diversity(m)
    u = ubiquity(m)
    if np.any(d == 0) or np.any(u == 0):
        raise ObservatoryError(
            _("every region and sector needs at least one specialisation (drop empty rows first)")
        )
    kp = _second_eigenvector(m, d, u)
    kc = (m @ kp) / d
    sign = np.sign(np.corrcoef(d, kc)[0, 1])
    eci_raw = sign * kc
    pci_raw = sign * kp
    prox = proximity(m)  # exactly symmetric
    row = prox.sum(axis=1)
    weight = pci_raw / row
    # density = (M φ) / row and COG = (1 - M) ∘ (colsum(D_w φ) - (M D_w) φ) with w = PCI / row:
    # contiguous results (written without a copy), and no temporary larger than M (allocating
    # new memory costs more than the arithmetic on a virtual machine)
    dens = m @ prox
    dens /= row[np.newaxis, :]
    cog = m * weight[np.newaxis, :]
    cog = cog @ prox
    np.subtract((prox * weight[:, np.newaxis]).sum(axis=0)[np.newaxis, :], cog, out=cog)
    cog[m != 0] = 0.0
    coi = dens @ pci_raw - np.einsum("ij,ij,j->i", dens, m, pci_raw)
    mean, std = eci_raw.mean(), eci_raw.std()
    cog /= std
    return Complexity(
        regions=regions,
        sectors=sectors,
        values=x,
        rca=r,
        m=m,
        diversity=d,
        ubiquity=u,
        proximity=prox,
        density=dens,
        eci=(eci_raw - mean) / std,
        pci=(pci_raw - mean) / std,
        coi=(coi - coi.mean()) / coi.std(),
        cog=cog,
    )


def to_matrices(
    frame: pd.DataFrame, *, value: str = "value"
) -> dict[int, tuple[NDArray[np.str_], NDArray[np.str_], Matrix]]:
    """Per year, the region × sector matrix of a long frame (`region, sector, year, value`).

    Absent and missing cells are NaN; regions and sectors whose values sum to zero are dropped
    (py-ecomplexity drops them too). Regions and sectors come sorted.
    """
    import pandas as pd

    out: dict[int, tuple[NDArray[np.str_], NDArray[np.str_], Matrix]] = {}
    y_idx, year_codes = pd.factorize(frame["year"], sort=True)
    r_idx, region_codes = pd.factorize(frame["region"], sort=True)
    s_idx, sector_codes = pd.factorize(frame["sector"], sort=True)
    all_regions = np.asarray(region_codes).astype(str)
    all_sectors = np.asarray(sector_codes).astype(str)
    cube = np.full((len(year_codes), len(all_regions), len(all_sectors)), np.nan)
    cube[y_idx, r_idx, s_idx] = frame[value].to_numpy(dtype=np.float64)
    for k, year in enumerate(np.asarray(year_codes)):
        x = cube[k]
        keep_r = np.nansum(x, axis=1) != 0
        keep_s = np.nansum(x, axis=0) != 0
        if not (keep_r.all() and keep_s.all()):
            x = x[np.ix_(keep_r, keep_s)]
        out[int(str(year))] = (all_regions[keep_r], all_sectors[keep_s], x)
    return out


def complexity_frame(result: Complexity, year: int) -> pd.DataFrame:
    """One row per region × sector with every indicator, like py-ecomplexity's output."""
    import pandas as pd

    n_r, n_s = result.m.shape
    return pd.DataFrame(
        {
            "region": np.repeat(result.regions, n_s),
            "sector": np.tile(result.sectors, n_r),
            "year": year,
            "value": result.values.ravel(),
            "rca": result.rca.ravel(),
            "m": result.m.ravel().astype(np.int8),
            "diversity": np.repeat(result.diversity, n_s),
            "ubiquity": np.tile(result.ubiquity, n_r),
            "eci": np.repeat(result.eci, n_s),
            "pci": np.tile(result.pci, n_r),
            "density": result.density.ravel(),
            "coi": np.repeat(result.coi, n_s),
            "cog": result.cog.ravel(),
        }
    )

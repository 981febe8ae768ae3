package privacy

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"math/bits"
)

// ErrRandomness means the random source failed; no noisy output is
// produced without fresh randomness.
var ErrRandomness = errors.New("random source failed")

// sampler draws exact samples from discrete distributions, with integer
// arithmetic only on the sampling path (Canonne, Kamath and Steinke 2020,
// "The Discrete Gaussian for Differential Privacy", Algorithms 1 and 2).
// Textbook floating-point Laplace leaks the true value through the low
// bits of its output (Mironov 2012); these samplers do not use floats.
//
// Randomness comes from crypto/rand through a 64 KiB buffer. A sampler is
// not safe for concurrent use.
type sampler struct {
	r   io.Reader
	buf []byte // random bytes not used yet: buf[off:]
	off int
	err error
}

func newSampler(r io.Reader) *sampler {
	if r == nil {
		r = rand.Reader
	}
	return &sampler{r: r}
}

// uint64 returns 64 uniform bits. After a read error it returns 0 and
// keeps the error, which callers check once per row.
func (s *sampler) uint64() uint64 {
	if s.off+8 > len(s.buf) {
		if s.err != nil {
			return 0
		}
		if s.buf == nil {
			s.buf = make([]byte, 64<<10)
		}
		if _, err := io.ReadFull(s.r, s.buf[:cap(s.buf)]); err != nil {
			s.err = fmt.Errorf("%w: %v", ErrRandomness, err)
			s.buf = s.buf[:0]
			return 0
		}
		s.buf = s.buf[:cap(s.buf)]
		s.off = 0
	}
	v := binary.LittleEndian.Uint64(s.buf[s.off:])
	s.off += 8
	return v
}

// uniform returns a uniform integer in [0, n), n > 0, by Lemire's
// multiply-shift method with rejection (no modulo bias).
func (s *sampler) uniform(n uint64) uint64 {
	if n == 0 {
		panic("privacy: uniform(0)")
	}
	hi, lo := bits.Mul64(s.uint64(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh {
			if s.err != nil {
				return 0
			}
			hi, lo = bits.Mul64(s.uint64(), n)
		}
	}
	return hi
}

// bern returns true with probability num/den exactly (0 <= num <= den).
func (s *sampler) bern(num, den uint64) bool {
	return s.uniform(den) < num
}

// bernExp returns true with probability exp(-num/den), den > 0.
func (s *sampler) bernExp(num, den uint64) bool {
	for num > den { // exp(-γ) = exp(-1)^floor(γ) · exp(-(γ-floor(γ)))
		if !s.bernExpUnit(1, 1) {
			return false
		}
		num -= den
	}
	return s.bernExpUnit(num, den)
}

// bernExpUnit is bernExp for num/den in [0, 1]: draw K = 1, 2, ... while
// Bern(γ/K) succeeds; K is odd with probability exp(-γ). Bern(γ/K) is
// drawn as Bern(γ)·Bern(1/K), so den·K never overflows.
func (s *sampler) bernExpUnit(num, den uint64) bool {
	k := uint64(1)
	for {
		if s.err != nil {
			return false
		}
		if !(s.bern(num, den) && s.bern(1, k)) {
			return k%2 == 1
		}
		k++
	}
}

// geometric returns Y >= 0 with P(Y = y) proportional to exp(-y·s/t),
// for positive integers s and t: X ~ Geometric(1 - exp(-1/t)) is drawn
// as U + t·V with U uniform in [0, t) accepted with probability
// exp(-U/t) and V ~ Geometric(1 - exp(-1)), and Y = floor(X/s).
func (s *sampler) geometric(sn, t uint64) uint64 {
	for {
		if s.err != nil {
			return 0
		}
		u := s.uniform(t)
		if !s.bernExp(u, t) {
			continue
		}
		v := uint64(0)
		for s.bernExp(1, 1) {
			v++
			if s.err != nil {
				return 0
			}
		}
		return (u + t*v) / sn
	}
}

// discreteLaplace returns Y in Z with P(Y = y) = c·exp(-|y|·s/t), that is
// a discrete Laplace of scale t/s: a geometric magnitude with a random
// sign, rejecting "-0" so that 0 is not counted twice.
func (s *sampler) discreteLaplace(sn, t uint64) int64 {
	for {
		y := int64(s.geometric(sn, t))
		if s.err != nil {
			return 0
		}
		if s.bern(1, 2) {
			if y == 0 {
				continue
			}
			return -y
		}
		return y
	}
}

// discreteLaplacePMF is the exact probability of y under
// discreteLaplace(s, t), in floating point, for tests and the report.
func discreteLaplacePMF(y int64, sn, t uint64) float64 {
	a := float64(sn) / float64(t)
	c := (1 - math.Exp(-a)) / (1 + math.Exp(-a))
	return c * math.Exp(-a*math.Abs(float64(y)))
}

// ratio is a positive rational, small enough that products of a few of
// them stay in uint64.
type ratio struct{ num, den uint64 }

// epsilonRatio converts epsilon to a fraction with numerator and
// denominator below 2^31; decimals with at most 6 places are exact.
func epsilonRatio(eps *big.Rat) (ratio, error) {
	r := new(big.Rat).Set(eps)
	if !r.Num().IsUint64() || !r.Denom().IsUint64() || r.Num().Uint64() >= 1<<31 || r.Denom().Uint64() >= 1<<31 {
		// round to 6 decimal places, downwards (a smaller epsilon is safe)
		scaled := new(big.Int).Mul(r.Num(), big.NewInt(1_000_000))
		scaled.Quo(scaled, r.Denom())
		if scaled.Sign() <= 0 || !scaled.IsUint64() || scaled.Uint64() >= 1<<31 {
			return ratio{}, fmt.Errorf("epsilon %s cannot be represented; use at most 6 decimals", eps.FloatString(6))
		}
		r.SetFrac(scaled, big.NewInt(1_000_000))
	}
	return ratio{r.Num().Uint64(), r.Denom().Uint64()}, nil
}

// randomizedResponse keeps the true category with probability
// e^ε/(e^ε+k−1) and otherwise answers one of the k−1 others uniformly.
// It draws a uniform category and accepts a wrong one with probability
// e^−ε, which gives exactly that distribution without computing e^ε.
func (s *sampler) randomizedResponse(truth, k int, eps ratio) int {
	for {
		c := int(s.uniform(uint64(k)))
		if c == truth || s.err != nil {
			return c
		}
		if s.bernExp(eps.num, eps.den) {
			return c
		}
	}
}

// planarLaplace draws a displacement in metres for geo-indistinguishability
// with epsilon eps per metre: the radius follows Gamma(2, 1/ε), drawn on a
// 1 m grid as the sum of two exact geometric samples, and the angle is
// uniform over 2^32 directions. The caller snaps the displaced point to a
// grid, so that the output does not carry the raw point in its low bits.
func (s *sampler) planarLaplace(eps ratio) (dx, dy float64) {
	r := s.geometric(eps.num, eps.den) + s.geometric(eps.num, eps.den)
	theta := 2 * math.Pi * float64(s.uniform(1<<32)) / (1 << 32)
	return float64(r) * math.Cos(theta), float64(r) * math.Sin(theta)
}

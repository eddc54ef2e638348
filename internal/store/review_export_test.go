package store

import "context"

// ResetReview removes every round and request and sends every aspirant
// back to registered, so a benchmark can start a round again.
func (s *Store) ResetReview(ctx context.Context) error {
	for _, q := range []string{`DELETE FROM review_requests`, `DELETE FROM review_rounds`,
		`UPDATE aspirants SET status = 'registered', reviewed = FALSE, findings = FALSE`} {
		if _, err := s.db.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

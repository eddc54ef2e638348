package account

import "github.com/huanjie/huanjie/internal/errs"

func errField(err error) string { return errs.FieldOf(err) }

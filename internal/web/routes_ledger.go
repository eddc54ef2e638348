package web

// ledgerRoutes are the routes of this feature while it is being built; they
// move into routeTable (routes.go) when it is done.
func (s *Server) ledgerRoutes() []route {
	return nil
}

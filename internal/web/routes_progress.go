package web

// progressRoutes are the routes of this feature while it is being built; they
// move into routeTable (routes.go) when it is done.
func (s *Server) progressRoutes() []route {
	return nil
}

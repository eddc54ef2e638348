package web

// archiveRoutes are the routes of this feature while it is being built; they
// move into routeTable (routes.go) when it is done.
func (s *Server) archiveRoutes() []route {
	return nil
}

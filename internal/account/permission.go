package account

// Permission names one kind of act. Routes declare the permission they need;
// Can answers from the table below, the only place that decides.
type Permission string

// Permissions of the foundation. Later capabilities add theirs here.
const (
	ViewOrgs    Permission = "orgs.view"    // see the org tree of one's scope
	ManageOrgs  Permission = "orgs.manage"  // add and edit units
	ViewAudit   Permission = "audit.view"   // read the audit log
	ManageUsers Permission = "users.manage" // add users, reset passwords
	OwnAccount  Permission = "account.own"  // change one's password, API tokens
)

var rolePermissions = map[Role][]Permission{
	Admin:      {ViewOrgs, ManageOrgs, ViewAudit, ManageUsers, OwnAccount},
	Leader:     {ViewOrgs, OwnAccount},
	District:   {ViewOrgs, OwnAccount},
	Community:  {ViewOrgs, OwnAccount},
	Reviewer:   {ViewOrgs, OwnAccount},
	Discipline: {ViewOrgs, OwnAccount},
	Police:     {ViewOrgs, OwnAccount},
	Committee:  {ViewOrgs, OwnAccount},
}

// Can reports whether a role holds a permission.
func Can(r Role, p Permission) bool {
	for _, q := range rolePermissions[r] {
		if q == p {
			return true
		}
	}
	return false
}

// PermissionsOf lists the permissions a role holds.
func PermissionsOf(r Role) []Permission { return append([]Permission(nil), rolePermissions[r]...) }

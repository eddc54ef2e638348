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

	ViewClasses   Permission = "classes.view"     // classification, warnings, plans
	Assess        Permission = "classes.assess"   // enter assessments, import them
	OverrideClass Permission = "classes.override" // set a class against the rules, with a reason
	ManageRubric  Permission = "classes.rubric"   // edit the rubric and the rules
	EditPlans     Permission = "plans.edit"       // add plans and measures, close measures
)

var rolePermissions = map[Role][]Permission{
	Admin: {ViewOrgs, ManageOrgs, ViewAudit, ManageUsers, OwnAccount,
		ViewClasses, Assess, OverrideClass, ManageRubric, EditPlans},
	Leader:     {ViewOrgs, OwnAccount, ViewClasses},
	District:   {ViewOrgs, OwnAccount, ViewClasses, Assess, EditPlans},
	Community:  {ViewOrgs, OwnAccount, ViewClasses, EditPlans},
	Reviewer:   {ViewOrgs, OwnAccount},
	Discipline: {ViewOrgs, OwnAccount, ViewClasses},
	Police:     {ViewOrgs, OwnAccount},
	Committee:  {ViewOrgs, OwnAccount, ViewClasses},
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

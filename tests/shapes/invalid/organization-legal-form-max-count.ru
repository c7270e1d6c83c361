# An organization with two legal forms.
# expect: Violation shapes:OrganizationShape-legalForm sh:MaxCountConstraintComponent id:organization/kita-association
PREFIX org: <http://www.w3.org/ns/org#>
INSERT DATA {
    <https://w3id.org/seirei/id/organization/kita-association> org:classification <https://w3id.org/seirei/vocab/legal-form/general-incorporated-foundation> .
}

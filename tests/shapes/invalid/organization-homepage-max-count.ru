# An organization with two homepages.
# expect: Violation shapes:OrganizationShape-homepage sh:MaxCountConstraintComponent id:organization/kita-association
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
INSERT DATA {
    <https://w3id.org/seirei/id/organization/kita-association> <https://schema.org/url> <https://kia.example.org/> .
}

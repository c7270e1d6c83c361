# A formal organization that is neither a city government nor of a known legal form.
# expect: Violation shapes:FormalOrganizationShape sh:OrConstraintComponent id:organization/kita-association
PREFIX org: <http://www.w3.org/ns/org#>
DELETE DATA { <https://w3id.org/seirei/id/organization/kita-association> org:classification <https://w3id.org/seirei/vocab/legal-form/public-interest-incorporated-foundation> }

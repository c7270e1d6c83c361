# A listing whose contact organization (its only contact) is a web page.
# expect: Violation shapes:ListingShape-contactOrganization sh:ClassConstraintComponent id:listing/kita-1
# (and, a contact with no route: the warning layer asks for one)
# expect: Warning shapes:ContactRouteKnownShape-route sh:MinCountConstraintComponent id:web-resource/kita-living
PREFIX seirei: <https://w3id.org/seirei/ontology#>
DELETE DATA { <https://w3id.org/seirei/id/listing/kita-1> seirei:contactUnit <https://w3id.org/seirei/id/unit/kita-division> } ;
INSERT DATA { <https://w3id.org/seirei/id/listing/kita-1> seirei:contactOrganization <https://w3id.org/seirei/id/web-resource/kita-living> }
